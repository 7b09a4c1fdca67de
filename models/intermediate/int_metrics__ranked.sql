-- Metric values with rank (1 = highest) and percentile (share of peers strictly below, 0..1) of the
-- ranked metrics among bodies of the same region level within the province and within the city.
-- Bodies without a value, a known region or (for the city rank) a city are not ranked.
with

metric_values as (

    select * from {{ ref('int_metrics__values') }}

),

versions as (

    select report_id, region_code from {{ ref('int_reports__versions') }}

),

regions as (

    select region_code, level, city_code, province_code from {{ ref('regions') }}

),

placed as (

    select
        metric_values.*,
        regions.level,
        regions.province_code,
        regions.city_code,
        case when metric_values.ranked and regions.province_code is not null
            then metric_values.value end as province_ranked_value,
        case when metric_values.ranked and regions.city_code is not null
            then metric_values.value end as city_ranked_value

    from metric_values
    inner join versions on metric_values.report_id = versions.report_id
    left join regions on versions.region_code = regions.region_code

),

ranked as (

    -- windows run over the ranked metrics only; the other metrics get no rank
    select
        report_id,
        metric_code,
        {{ rank_among_peers('province_ranked_value', ['metric_code', 'year', 'province_code', 'level']) }}
            as rank_in_province,
        {{ percentile_among_peers('province_ranked_value', ['metric_code', 'year', 'province_code', 'level']) }}
            as percentile_in_province,
        {{ rank_among_peers('city_ranked_value', ['metric_code', 'year', 'city_code', 'level']) }}
            as rank_in_city,
        {{ percentile_among_peers('city_ranked_value', ['metric_code', 'year', 'city_code', 'level']) }}
            as percentile_in_city

    from placed
    where ranked

),

final as (

    select
        placed.* exclude (province_ranked_value, city_ranked_value),
        ranked.rank_in_province,
        ranked.percentile_in_province,
        ranked.rank_in_city,
        ranked.percentile_in_city

    from placed
    left join ranked
        on placed.report_id = ranked.report_id
        and placed.metric_code = ranked.metric_code

)

select * from final
