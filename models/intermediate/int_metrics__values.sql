-- Every metric of seeds/metrics.csv for each body-year's current report, with its change against
-- the same body's report of the year before (NULL when that year is missing).
with

sides as (

    select * from {{ ref('int_formula__sides') }}

),

versions as (

    select report_id, body_key, year from {{ ref('int_reports__versions') }} where is_current

),

metrics as (

    select metric_code, kind, ranked, is_sample_size from {{ ref('metrics') }}

),

paired as (

    select
        versions.report_id,
        versions.body_key,
        versions.year,
        metrics.metric_code,
        metrics.kind,
        metrics.ranked,
        metrics.is_sample_size,
        any_value(sides.value) filter (where sides.side = 'numerator') as numerator,
        any_value(sides.value) filter (where sides.side = 'denominator') as denominator

    from sides
    inner join versions on sides.report_id = versions.report_id
    inner join metrics on sides.formula_id = metrics.metric_code
    group by all

),

valued as (

    select
        *,
        case when kind = 'ratio' then {{ safe_ratio('numerator', 'denominator') }} else numerator end as value

    from paired

),

final as (

    select
        valued.*,
        previous_year.value as previous_value,
        valued.value - previous_year.value as value_yoy

    from valued
    left join valued as previous_year
        on valued.body_key = previous_year.body_key
        and valued.metric_code = previous_year.metric_code
        and valued.year - 1 = previous_year.year

)

select * from final
