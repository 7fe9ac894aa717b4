from posts.ingest.outlets import KNOWN, Outlet, OutletDirectory, name_key, url_host


def test_spellings_of_one_outlet_resolve_to_its_canonical_name():
    assert KNOWN.by_name("JBpress") == "JBプレス"
    assert KNOWN.by_name("ＪＢ Ｐｒｅｓｓ") == "JBプレス"
    assert KNOWN.by_name("阿波罗新闻网") == "阿波羅新聞網"
    assert KNOWN.by_name("the gateway pundit") == "The Gateway Pundit"
    assert KNOWN.by_name("Unknown Weekly") is None


def test_the_longest_matching_domain_wins():
    assert KNOWN.by_url("https://asia.nikkei.com/Politics/x") == "Nikkei Asia"
    assert KNOWN.by_url("https://www.nikkei.com/article/x") == "日経"
    assert KNOWN.by_url("https://jbpress.ismedia.jp/articles/-/1") == "JBプレス"
    assert KNOWN.by_url("https://notnikkei.com/") is None


def test_social_links_say_nothing_about_the_outlet():
    directory = OutletDirectory([Outlet("X Corp", (), ("x.com",))])
    assert directory.resolve("Someone", ["https://x.com/i/status/1"]) is None
    assert KNOWN.resolve("謎の新聞", ["https://x.com/i/status/1", "https://www.aboluowang.com/2025/0805/1.html"]) == "阿波羅新聞網"


def test_entries_listed_first_win():
    directory = OutletDirectory([Outlet("JBpress", ("JBプレス",)), *[Outlet("JBプレス", ("JBpress",))]])
    assert directory.by_name("JBプレス") == "JBpress"


def test_it_splits_a_known_outlet_from_the_author():
    assert KNOWN.split_known_prefix("JBプレス 横山恭三") == ("JBプレス", "横山恭三")
    assert KNOWN.split_known_prefix("JBプレス横山恭三") == ("JBプレス", "横山恭三")
    assert KNOWN.split_known_prefix("The Gateway Pundit Jim Hoft") == ("The Gateway Pundit", "Jim Hoft")
    assert KNOWN.split_known_prefix("日経") == ("日経", "")
    assert KNOWN.split_known_prefix("Unknown Paper 山田") is None


def test_name_keys_and_hosts_ignore_case_spacing_and_www():
    assert name_key("The Gateway-Pundit") == "thegatewaypundit"
    assert url_host("https://WWW.Example.COM:8080/x") == "example.com"
    assert url_host("not a url") == ""
    assert url_host("http://[broken/") == ""
