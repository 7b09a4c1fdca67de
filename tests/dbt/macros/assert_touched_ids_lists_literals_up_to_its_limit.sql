-- Rule: macro touched_ids gives the touched versions as sorted literals (NULLs left out), `(null)`
-- when none, and the subquery itself past its limit.
{%- set touched = "(select * from (values ('b'), ('a'), (null)) as t(report_id))" %}
{%- set nothing = "(select * from (values ('a')) as t(report_id) where false)" %}
select 'literals' as failing_case
where $${{ touched_ids(touched) }}$$ <> $$('a', 'b')$$
union all
select 'subquery past the limit'
where $${{ touched_ids(touched, limit=1) }}$$ <> $${{ "(select report_id from " ~ touched ~ ")" }}$$
union all
select 'none touched'
where $${{ touched_ids(nothing) }}$$ <> $$(null)$$
