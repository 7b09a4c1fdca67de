-- Rule: macro touched_match is true for a touched value and false for any other, both as a list
-- of literals (`in`, DuckDB's hint for skipping row groups, and list_contains, which it applies
-- inside the table scan) and past its limit (`in` the subquery); with nothing touched it matches
-- nothing.
{%- set touched = "(select * from (values ('b'), ('a'), (null)) as t(report_id))" %}
{%- set nothing = "(select * from (values ('a')) as t(report_id) where false)" %}
select 'literals' as failing_case
where $${{ touched_match('x', touched) }}$$ <> $$(x in ('a', 'b') and list_contains(['a', 'b'], x))$$
union all
select 'a touched value'
where not {{ touched_match("'a'", touched) }} or not {{ touched_match("'b'", touched, limit=1) }}
union all
select 'another value'
where coalesce({{ touched_match("'c'", touched) }}, false) or coalesce({{ touched_match("'c'", touched, limit=1) }}, false)
union all
select 'rows of a table'
where (select count(*) from (values ('a'), ('b'), ('c'), (null)) as t(report_id)
    where {{ touched_match('report_id', touched) }}) <> 2
union all
select 'nothing touched'
where coalesce({{ touched_match("'a'", nothing) }}, false)
