"""The jury (Pix staff, in the Django admin): what happens to a session after the centre finalised it.

- `services`: take a session, neutralise / resolve / cancel / reject / comment, publish, unpublish,
  unfinalise — every write of the jury, each locked, guarded and audited;
- `resolution`: the automatic resolution of question reports at finalisation;
- `scoring`: the scoring rules and the service that stores a certification's result;
- `admin`: the admin pages (one module per model) that call those services and nothing else.
"""
