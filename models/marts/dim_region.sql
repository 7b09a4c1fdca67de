with

regions as (

    select * from {{ ref('regions') }}

),

final as (

    select
        region_code,
        name as region_name,
        level,
        city_code,
        city_name,
        province_code,
        province_name,
        longitude,
        latitude

    from regions

)

select * from final
