-- One row per publishing body (body_key = body_name@region_code) with a current report (a body
-- whose reports were all withdrawn is only in fct_report_history), with its kind and its region's
-- place: body_type from the name (the matching pattern of seeds/body_type_patterns.csv with the
-- lowest priority), and how the region was found (of the body's latest current report). The
-- identity dim_body shows and the peer groups of int_metrics__peers use. A refresh rebuilds the
-- touched bodies only, from every version of each (all are in int_reports__touched).
{{ config(materialized='incremental', pre_hook="{{ delete_touched('body_key') }}") }}
-- depends_on: {{ ref('int_reports__touched') }} {{ ref('int_bodies__touched') }}
with

versions as (

    select * from {{ ref('int_reports__versions') }} {{ only_touched('report_id') }}

),

patterns as (

    select priority, pattern, body_type from {{ ref('body_type_patterns') }}

),

regions as (

    select region_code, level, city_code, province_code from {{ ref('regions') }}

),

bodies as (

    select
        body_key,
        any_value(body_name) as body_name,
        any_value(region_code) as region_code,
        arg_max(region_match_method, year) filter (where is_current) as region_match_method,
        arg_max(region_matched_text, year) filter (where is_current) as region_matched_text,
        min(year) filter (where is_current) as first_year,
        max(year) filter (where is_current) as last_year,
        count(distinct year) filter (where is_current) as report_year_count,
        count(*) as report_version_count

    from versions
    group by body_key
    having bool_or(is_current)

),

typed as (

    select bodies.body_key, patterns.body_type
    from bodies
    inner join patterns on regexp_matches(bodies.body_name, patterns.pattern)
    qualify row_number() over (partition by bodies.body_key order by patterns.priority) = 1

),

final as (

    select
        bodies.body_key,
        bodies.body_name,
        bodies.region_code,
        typed.body_type,
        regions.level,
        regions.city_code,
        regions.province_code,
        bodies.region_match_method,
        bodies.region_matched_text,
        bodies.first_year,
        bodies.last_year,
        bodies.report_year_count,
        bodies.report_version_count

    from bodies
    inner join typed on bodies.body_key = typed.body_key
    left join regions on bodies.region_code = regions.region_code

)

select * from final
