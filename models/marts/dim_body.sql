-- One row per body (body_name + region_code) with a current report: the same county-level name
-- exists in several places. A body whose reports were all withdrawn stays in fct_report_history.
with

versions as (

    select * from {{ ref('int_reports__versions') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

bodies as (

    select
        body_key,
        any_value(body_name) as body_name,
        any_value(region_code) as region_code,
        min(year) filter (where is_current) as first_year,
        max(year) filter (where is_current) as last_year,
        count(distinct year) filter (where is_current) as report_year_count,
        count(*) as report_version_count

    from versions
    group by body_key
    having bool_or(is_current)

),

final as (

    select
        bodies.body_key,
        bodies.body_name,
        bodies.region_code,
        regions.region_name,
        regions.level,
        regions.city_code,
        regions.city_name,
        regions.province_code,
        regions.province_name,
        bodies.first_year,
        bodies.last_year,
        bodies.report_year_count,
        bodies.report_version_count

    from bodies
    left join regions on bodies.region_code = regions.region_code

)

select * from final
