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
#: FTS5, municipality and dates filtered inside it), ranked as the search page
#: ranks them: by bm25 computed there (those with some word as written first)
#: when the query's phrases are rare enough for bm25 (``search_bm25``: it reads
#: every posting of each phrase), else those with the words in the title first
#: (``swedish_title_match``: title tags), newest first. Releases read for the 100
#: best only, excerpts made for those only (``search_excerpt``, in Python).
SEARCH_SQL = f"""with candidates as (
  select rowid as key,
    case when search_bm25(:q, :source) then {_EXACT_MISS} else 0 end as exact_miss,
    case when search_bm25(:q, :source) then {_SCORE} else 0 end as score
  from releases_fts
  where releases_fts match case when search_bm25(:q, :source)
      then swedish_match(:q, :source) else swedish_walk(:q, :source) end
    and rowid between search_key_from(:from) and search_key_to(:to)
  order by rowid desc
  limit {WINDOW}
), titled as (
  select rowid as key
  from releases_fts
  where not search_bm25(:q, :source)
    and releases_fts match swedish_title_match(:q, :source)
    and rowid between search_key_from(:from) and search_key_to(:to)
  order by rowid desc
  limit {WINDOW}
), kept as (
  select c.key, c.exact_miss, c.key not in (select key from titled) as untitled, c.score
  from candidates c
  where :county = '' or exists (
    select 1 from releases r
      join sources s on s.id = r.source
      join organisations o on o.id = s.organisation
    where r.search_key = c.key and (o.county = :county or o.county_code = :county))
  order by c.exact_miss, untitled, c.score, c.key desc
  limit 100
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
order by kept.exact_miss, kept.untitled, kept.score, kept.key desc"""

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
  and r.kind = 'Pressinbjudan'
  and coalesce(r.removed_at, '') = ''
order by r.published desc, r.published_time desc, r.id desc
limit 200"""

#: Edits, removals, moves and restorations since a date: of one source, one
#: organisation, one county or the releases a search finds (each optional).
#: A change's diff is the revision written with its event (the n-th "changed"
#: event of a release goes with its n-th revision: both are written in one
#: transaction), shown as <del>/<ins> in the HTML view and in the feed.
CHANGES_SQL = """select
  e.at,
  e.event,
  s.name as municipality,
  r.id as release_id,
  r.title,
  r.published,
  case when e.event = 'changed' then null else e.evidence end as evidence,
  d.diff,
  r.url,
  r.url || '#' || e.event || '-' || e.id as atom_id,
  (case e.event when 'removed' then 'Borttaget: ' when 'changed' then 'Ändrat: '
   when 'restored' then 'Åter publicerat: ' else 'Flyttat: ' end) || r.title as atom_title,
  atom_time(e.at, e.at) as atom_updated,
  r.url as atom_link,
  r.id as atom_release_id,
  s.name as atom_author_name,
  case when e.event = 'changed' then '' else coalesce(e.evidence, '') end as atom_content,
  d.diff as atom_diff
from events e
  join releases r on r.id = e.release_id
  join sources s on s.id = r.source
  left join organisations o on o.id = s.organisation
  left join revisions d on e.event = 'changed' and d.release_id = r.id
    and (select count(*) from revisions v where v.release_id = r.id and v.id < d.id)
      = (select count(*) from events c where c.release_id = r.id and c.event = 'changed'
         and c.id < e.id)
where e.event in ('changed', 'removed', 'restored', 'moved')
  and e.at >= coalesce(nullif(:since, ''), date('now', '-30 days'))
  and (:source = '' or r.source = :source)
  and (:organisation = '' or o.id = :organisation)
  and (:county = '' or o.county = :county or o.county_code = :county)
  and (:q = '' or r.search_key in (
    select rowid from releases_fts where releases_fts match swedish_walk(:q)))
order by e.at desc, e.id desc
limit 500"""

PER_MUNICIPALITY_YEAR_SQL = """select
  s.name as municipality,
  c.*
from (
  select
    source,
    nullif(year, 0) as year,
    sum(n) as releases,
    sum(case when kind = 'Pressmeddelande' then n else 0 end) as press_releases,
    sum(case when kind = 'Pressinbjudan' then n else 0 end) as press_invitations,
    sum(case when kind = 'Nyhet' then n else 0 end) as news,
    sum(case when removed then n else 0 end) as removed
  from release_counts
  group by source, year
  having sum(n) > 0
) c
  join sources s on s.id = c.source
order by s.name, c.year desc"""

#: Releases per 10,000 inhabitants per organisation and year: joins on kommunkod
#: (organisations.kommunkod) to SCB's statistics, population from the registry.
#: Both read the counts the store keeps (``scraper.store.counts``), not the releases.
PER_CAPITA_SQL = """select
  o.name as organisation,
  o.kommunkod,
  o.county,
  nullif(c.year, 0) as year,
  sum(c.n) as releases,
  o.population,
  round(10000.0 * sum(c.n) / o.population, 2) as per_10000_inhabitants
from release_counts c
  join sources s on s.id = c.source
  join organisations o on o.id = s.organisation
where o.population is not null
  and (:county = '' or o.county = :county or o.county_code = :county)
group by o.id, c.year
having sum(c.n) > 0
order by c.year desc, per_10000_inhabitants desc"""
