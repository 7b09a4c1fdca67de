-- One row per body (body_name + region_code) with a current report: the same county-level name
-- exists in several places. A body whose reports were all withdrawn stays in fct_report_history.
-- Its kind (body_type) and how its region was found (region_match_method) come from int_bodies.
-- A refresh rebuilds the touched bodies only (int_bodies__touched), as int_bodies does.
{{ config(materialized='incremental', pre_hook="{{ delete_touched('body_key') }}") }}
-- depends_on: {{ ref('int_bodies__touched') }}
with

bodies as (

    select * from {{ ref('int_bodies') }} {{ only_touched('body_key') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

body_types as (

    select body_type, label from {{ ref('body_types') }}

),

match_methods as (

    select method, label, is_warning from {{ ref('region_match_methods') }}

),

final as (

    select
        bodies.body_key,
        bodies.body_name,
        bodies.region_code,
        regions.region_name,
        regions.level,
        regions.level_label,
        bodies.body_type,
        body_types.label as body_type_label,
        regions.city_code,
        regions.city_name,
        regions.province_code,
        regions.province_name,
        bodies.region_match_method,
        match_methods.label as region_match_label,
        coalesce(match_methods.is_warning, false) as region_match_is_warning,
        bodies.region_matched_text,
        bodies.first_year,
        bodies.last_year,
        bodies.report_year_count,
        bodies.report_version_count

    from bodies
    left join regions on bodies.region_code = regions.region_code
    left join body_types on bodies.body_type = body_types.body_type
    left join match_methods on bodies.region_match_method = match_methods.method

)

select * from final
