-- Rule: macro touched_match is true for a touched value and false for any other, both as a list
-- of literals (`in`, DuckDB's hint for skipping row groups, and list_contains, which it applies
-- inside the table scan) and past its limit (`in` the subquery); with nothing touched it matches
-- nothing. A key of several columns matches rows whose every column matches one touched row; a
-- one-column list is that column.
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
union all
select 'a key of several columns, matched as a row'
where (select count(*) from (values ('a', 1), ('a', 2), ('b', 1)) as t(scope_code, year)
    where {{ touched_match(['scope_code', 'year'], "(select * from (values ('a', 1), ('b', 2)) as g(code, y))", ['code', 'y']) }}) <> 1
    or $${{ touched_match(['x'], touched, ['report_id']) }}$$ <> $${{ touched_match('x', touched) }}$$
