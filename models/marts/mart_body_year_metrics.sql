-- One row per body-year (its current report) with every metric of seeds/metrics.csv as a column
-- named by its code, its year-over-year change (<code>_yoy) and, for ranked metrics, rank and
-- percentile within the province and the city among bodies of the same region level.
{%- set metrics = column_values(ref('metrics'), ['metric_code', 'ranked'], 'position') %}

with

reports as (

    select * from {{ ref('fct_report') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

ranked_metrics as (

    select * from {{ ref('int_metrics__ranked') }}

),

pivoted as (

    select
        report_id,
        {%- for metric in metrics %}
        {%- set only = "filter (where metric_code = '" ~ metric.metric_code ~ "')" %}
        any_value(value) {{ only }} as {{ metric.metric_code }},
        any_value(value_yoy) {{ only }} as {{ metric.metric_code }}_yoy,
        {%- if metric.ranked %}
        any_value(rank_in_province) {{ only }} as {{ metric.metric_code }}_rank_in_province,
        any_value(percentile_in_province) {{ only }} as {{ metric.metric_code }}_percentile_in_province,
        any_value(rank_in_city) {{ only }} as {{ metric.metric_code }}_rank_in_city,
        any_value(percentile_in_city) {{ only }} as {{ metric.metric_code }}_percentile_in_city,
        {%- endif %}
        {%- endfor %}
        any_value(value) filter (where is_sample_size) < {{ var('small_sample_min_cases', 30) }} as small_sample

    from ranked_metrics
    group by report_id

),

final as (

    select
        reports.body_key,
        reports.body_name,
        reports.year,
        reports.report_id,
        reports.region_code,
        regions.region_name,
        regions.level,
        regions.city_code,
        regions.city_name,
        regions.province_code,
        regions.province_name,
        reports.layout,
        pivoted.* exclude (report_id)

    from reports
    left join regions on reports.region_code = regions.region_code
    left join pivoted on reports.report_id = pivoted.report_id

)

select * from final
