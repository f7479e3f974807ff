"""The SQL of the archive's canned queries (Datasette), one constant each.

Each selects the Atom columns (``atom_*``) the plugin's feed renderer reads,
where the query is also a feed; ``metadata`` gives them titles and parameters.
"""

from __future__ import annotations

from scraper.store.finder import WINDOW
from scraper.store.search import RANK_WEIGHTS

__all__ = [
    "CHANGES_SQL",
    "LATEST_SQL",
    "MUNICIPALITY_SQL",
    "ORGANISATION_SQL",
    "PER_CAPITA_SQL",
    "PER_MUNICIPALITY_YEAR_SQL",
    "PRESS_INVITATIONS_SQL",
    "SEARCH_SQL",
]


_EXACT_MISS = "bm25(releases_fts, " + ", ".join(map(str, RANK_WEIGHTS[:3])) + ", 0.0, 0.0) = 0"
_SCORE = "bm25(releases_fts, " + ", ".join(map(str, RANK_WEIGHTS)) + ")"

# Columns every feed query returns for the Atom renderer (see scraper.serve.plugin).
_ATOM_COLUMNS = """
  r.url as atom_id,
  r.title as atom_title,
  atom_time(coalesce(r.published_time, r.published), r.first_seen) as atom_updated,
  r.url as atom_link,
  r.id as atom_release_id,
  s.name as atom_author_name,
  coalesce(r.lead, substr(r.body, 1, 600)) as atom_content"""

#: The search, bounded (issue 14): the newest WINDOW matches (an index walk in
#: FTS5, municipality and dates filtered inside it) ranked by bm25 computed there,
#: those with some word as written first; releases read for the 200 best only,
#: excerpts made for those only (``search_excerpt``, in Python).
SEARCH_SQL = f"""with candidates as (
  select rowid as key, {_EXACT_MISS} as exact_miss, {_SCORE} as score
  from releases_fts
  where releases_fts match swedish_match(:q, :source)
    and rowid between search_key_from(:from) and search_key_to(:to)
  order by rowid desc
  limit {WINDOW}
), kept as (
  select c.key, c.exact_miss, c.score
  from candidates c
  where :county = '' or exists (
    select 1 from releases r
      join sources s on s.id = r.source
      join organisations o on o.id = s.organisation
    where r.search_key = c.key and (o.county = :county or o.county_code = :county))
  order by c.exact_miss, c.score, c.key desc
  limit 200
)
select
  r.id,
  r.published,
  s.name as municipality,
  r.kind,
  r.title,
  search_excerpt(cast(coalesce(r.body, r.lead) as blob), :q) as excerpt,
  r.url,
  r.removed_at,{_ATOM_COLUMNS}
from kept
  join releases r on r.search_key = kept.key
  join sources s on s.id = r.source
order by kept.exact_miss, kept.score, kept.key desc"""

LATEST_SQL = f"""select
  r.id,
  r.published,
  s.name as municipality,
  r.kind,
  r.title,
  r.url,{_ATOM_COLUMNS}
from releases r
  join sources s on s.id = r.source
where coalesce(r.removed_at, '') = ''
order by r.published desc, r.published_time desc, r.id desc
limit 100"""

MUNICIPALITY_SQL = f"""select
  r.id,
  r.published,
  r.kind,
  r.title,
  r.url,
  r.removed_at,{_ATOM_COLUMNS}
from releases r
  join sources s on s.id = r.source
where r.source = :source
order by r.published desc, r.published_time desc, r.id desc
limit 100"""

#: Every source of one organisation (its press listing, news listing, newsroom), or a county.
ORGANISATION_SQL = f"""select
  r.id,
  r.published,
  o.name as organisation,
  r.kind,
  r.title,
  r.url,
  r.removed_at,{_ATOM_COLUMNS}
from releases r
  join sources s on s.id = r.source
  join organisations o on o.id = s.organisation
where (:organisation = '' or o.id = :organisation or o.name = :organisation)
  and (:county = '' or o.county = :county or o.county_code = :county)
order by r.published desc, r.published_time desc, r.id desc
limit 100"""

PRESS_INVITATIONS_SQL = f"""select
  r.id,
  r.published,
  s.name as municipality,
  r.title,
  coalesce(r.lead, substr(r.body, 1, 300)) as summary,
  r.url,{_ATOM_COLUMNS}
from releases r
  join sources s on s.id = r.source
where r.published >= date(
    'now', '-' || (7 * cast(coalesce(nullif(:weeks, ''), '4') as integer)) || ' days')
  and coalesce(r.kind, '') = 'Pressinbjudan'
  and coalesce(r.removed_at, '') = ''
order by r.published desc, r.published_time desc, r.id desc
limit 200"""

CHANGES_SQL = """select
  e.at,
  e.event,
  s.name as municipality,
  r.id as release_id,
  r.title,
  r.published,
  e.evidence,
  (select v.diff from revisions v where v.release_id = r.id and e.event = 'changed'
   order by v.id desc limit 1) as diff,
  r.url,
  r.url || '#' || e.event || '-' || e.id as atom_id,
  (case e.event when 'removed' then 'Borttaget: ' when 'changed' then 'Ändrat: '
   when 'restored' then 'Åter publicerat: ' else 'Flyttat: ' end) || r.title as atom_title,
  atom_time(e.at, e.at) as atom_updated,
  r.url as atom_link,
  r.id as atom_release_id,
  s.name as atom_author_name,
  coalesce(e.evidence, '') as atom_content
from events e
  join releases r on r.id = e.release_id
  join sources s on s.id = r.source
where e.event in ('changed', 'removed', 'restored', 'moved')
  and e.at >= coalesce(nullif(:since, ''), date('now', '-30 days'))
  and (:source = '' or r.source = :source)
order by e.at desc, e.id desc
limit 500"""

PER_MUNICIPALITY_YEAR_SQL = """select
  s.name as municipality,
  c.*
from (
  select
    source,
    year,
    count(*) as releases,
    sum(kind = 'Pressmeddelande') as press_releases,
    sum(kind = 'Pressinbjudan') as press_invitations,
    sum(kind = 'Nyhet') as news,
    sum(removed_at is not null) as removed
  from releases
  group by source, year
) c
  join sources s on s.id = c.source
order by s.name, c.year desc"""

#: Releases per 10,000 inhabitants per organisation and year: joins on kommunkod
#: (organisations.kommunkod) to SCB's statistics, population from the registry.
PER_CAPITA_SQL = """select
  o.name as organisation,
  o.kommunkod,
  o.county,
  r.year,
  count(*) as releases,
  o.population,
  round(10000.0 * count(*) / o.population, 2) as per_10000_inhabitants
from releases r
  join sources s on s.id = r.source
  join organisations o on o.id = s.organisation
where o.population is not null
  and (:county = '' or o.county = :county or o.county_code = :county)
group by o.id, r.year
order by r.year desc, per_10000_inhabitants desc"""
