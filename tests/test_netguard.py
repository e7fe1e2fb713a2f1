import pytest

from transforms.netguard import blocked_reason, same_host


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"),
    ("192.168.1.1", "private"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "not globally routable"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"),
    ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
    ("not-an-ip", "not an IP address"),
])
def test_non_public_addresses_are_blocked(address: str, reason: str) -> None:
    got = blocked_reason(address)
    assert got is not None and got.startswith(reason)


@pytest.mark.parametrize("address", ["8.8.8.8", "203.0.114.1", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8", "172.32.0.1", "192.169.0.1"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is None


def test_same_host() -> None:
    assert same_host("127.0.0.1", "127.0.0.1")
    assert same_host("[::1]", "0:0:0:0:0:0:0:1")
    assert same_host("News.Example.org.", "news.example.org")
    assert not same_host("127.0.0.2", "127.0.0.1")
    assert not same_host("localhost", "127.0.0.1")
    assert not same_host(None, "x")
