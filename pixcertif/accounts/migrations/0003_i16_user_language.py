from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("fr", "Français"), ("en", "English")],
                default="",
                max_length=8,
                verbose_name="langue",
            ),
        ),
    ]
