-- Rule: macro column_values returns every row of a seed in the requested order (mart_body_year_metrics
-- makes one column per metric from it).
{%- set rows = column_values(ref('metrics'), ['metric_code', 'position'], 'position') %}
with listed as (
    {%- for row in rows %}
    select '{{ row.metric_code }}' as metric_code, {{ loop.index }} as listed_order {{ 'union all' if not loop.last }}
    {%- endfor %}
    {%- if not rows %}select null as metric_code, null as listed_order where false{% endif %}
),
seeded as (
    select metric_code, row_number() over (order by position) as listed_order from {{ ref('metrics') }}
)
(select * from listed except select * from seeded)
union all
(select * from seeded except select * from listed)
