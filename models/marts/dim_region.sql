-- GB/T 2260 regions with the Chinese label of their level.
with

regions as (

    select * from {{ ref('regions') }}

),

region_levels as (

    select level, label from {{ ref('region_levels') }}

),

final as (

    select
        regions.region_code,
        regions.name as region_name,
        regions.level,
        region_levels.label as level_label,
        regions.city_code,
        regions.city_name,
        regions.province_code,
        regions.province_name,
        regions.longitude,
        regions.latitude

    from regions
    left join region_levels on regions.level = region_levels.level

)

select * from final
