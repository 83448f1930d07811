from django.test import RequestFactory

from pixcertif.accounts.throttle import client_ip


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.PROXY_COUNT = 2
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_a_forwarded_value_that_is_not_an_address_falls_back_to_the_proxys(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="<script>", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_axes_reads_the_client_address_through_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert get_client_ip_address(request) == "203.0.113.7"
