-- Every metric of seeds/metrics.csv for each body-year's current report: its value, whether its
-- inputs are sound (int_metrics__inputs_ok), whether the report is a small sample, and its change
-- against the same body's previous available year (the latest earlier year with a report).
-- A refresh rebuilds the touched versions only: they hold every version of a touched body.
{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
with

sides as (

    select * from {{ ref('int_formula__sides') }} {{ only_touched('report_id') }}

),

versions as (

    select report_id, body_key, year from {{ ref('int_reports__versions') }}
    where is_current {{ only_touched('report_id', 'and') }}

),

metrics as (

    select metric_code, kind, ranked, higher_is_better, is_sample_size from {{ ref('metrics') }}

),

inputs_ok as (

    select report_id, metric_code, inputs_ok from {{ ref('int_metrics__inputs_ok') }} {{ only_touched('report_id') }}

),

paired as (

    select
        versions.report_id, versions.body_key, versions.year,
        metrics.metric_code, metrics.kind, metrics.ranked, metrics.higher_is_better, metrics.is_sample_size,
        any_value(sides.value) filter (where sides.side = 'numerator') as numerator,
        any_value(sides.value) filter (where sides.side = 'denominator') as denominator

    from sides
    inner join versions on sides.report_id = versions.report_id
    inner join metrics on sides.formula_id = metrics.metric_code
    group by all

),

valued as (

    select
        paired.*,
        case when kind = 'ratio' then {{ safe_ratio('numerator', 'denominator') }} else numerator end as value,
        coalesce(inputs_ok.inputs_ok, false) as inputs_ok

    from paired
    left join inputs_ok
        on paired.report_id = inputs_ok.report_id
        and paired.metric_code = inputs_ok.metric_code

),

compared as (

    select
        *,
        lag(value) over body_metric as previous_value,
        lag(year) over body_metric as previous_year,
        max(value) filter (where is_sample_size) over (partition by report_id)
            < {{ var('small_sample_min_cases') }} as small_sample

    from valued
    window body_metric as (partition by body_key, metric_code order by year)

),

final as (

    select
        *,
        value - previous_value as value_yoy,
        {{ safe_ratio('value - previous_value', 'previous_value') }} as value_yoy_pct

    from compared

)

select * from final
