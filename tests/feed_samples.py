# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""RSS, Atom and sitemap documents shared by test_feeds and test_discover."""

RSS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Nyheter från Sjöviks kommun</title><link>https://www.sjovik.se/</link>
<item><title>Pressmeddelande: Nytt äldreboende på Åsen</title><link>https://www.sjovik.se/nyheter/nytt-aldreboende.html</link>
 <pubDate>Fri, 28 Feb 2020 09:15:00 +0100</pubDate><guid>1</guid></item>
<item><title>Vattenläcka</title><link>/nyheter/vattenlacka.html</link><category>Nyhet</category>
 <pubDate>Thu, 27 Feb 2020 16:00:00 GMT</pubDate></item>
<item><title>Utan länk</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ekeby</title>
<link rel="next" href="https://www.ekeby.se/feed/atom/?paged=2"/>
<entry><title>Stor brandrisk</title><link rel="alternate" href="https://www.ekeby.se/2021/03/04/brandrisk/"/>
 <id>tag:ekeby.se,2021:412</id><published>2021-03-04T08:30:00+01:00</published><updated>2021-03-05T10:00:00+01:00</updated></entry>
<entry><title>Sommarjobb</title><link href="https://www.ekeby.se/2021/02/15/sommarjobb/"/><id>x</id>
 <updated>2021-02-15T10:00:00Z</updated></entry>
</feed>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.norrby.se/nyheter/2022-04-01-ny-skola.html</loc><lastmod>2022-04-02T10:00:00+02:00</lastmod></url>
<url><loc>https://www.norrby.se/nyheter/bredband.html?id=4&amp;lang=sv</loc><lastmod>2022-03-01</lastmod></url>
<url><loc>https://www.norrby.se/nyheter/budget.html</loc>
 <news:news><news:publication_date>2022-02-01T08:00:00+01:00</news:publication_date><news:title>Budget 2023</news:title></news:news></url>
</urlset>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.ekeby.se/post-sitemap.xml</loc><lastmod>2021-03-05T10:00:00+00:00</lastmod></sitemap>
<sitemap><loc>https://www.ekeby.se/page-sitemap.xml</loc></sitemap>
</sitemapindex>"""
