-- Rule: macro run_cache gives one dict for the whole run: what a call puts there, a later call
-- finds (the same dict, not a copy), and nothing else is there under a fresh name.
-- (Checked when the test runs; while parsing nothing is kept.)
{%- do run_cache().update({'assert_run_cache_probe': 'kept'}) %}
{%- set seen = run_cache().get('assert_run_cache_probe') %}
{%- set absent = run_cache().get('assert_run_cache_never_set') %}
select 'a value put in the cache is found again' as failing_case
where $${{ seen }}$$ <> $$kept$$
union all
select 'an absent name gives nothing'
where $${{ absent }}$$ <> $$None$$
