-- Rule: macro duckdb__list_schemas lists the schemas of the database whether dbt names it quoted
-- (as its create_schemas does) or bare, so a run creates no schema that exists already.
-- (Checked when the test runs; while parsing nothing is listed.)
{%- set quoted, bare = [], [] %}
{%- if execute %}
    {%- set quoted = duckdb__list_schemas('"' ~ target.database ~ '"').columns[0].values() | map('lower') | list %}
    {%- set bare = duckdb__list_schemas(target.database).columns[0].values() | map('lower') | list %}
{%- endif %}
select 'the quoted database lists its schemas' as failing_case
where {{ execute }} and not {{ 'main' in quoted }}
union all
select 'quoted and bare list the same schemas'
where {{ execute }} and $${{ quoted | sort }}$$ <> $${{ bare | sort }}$$
