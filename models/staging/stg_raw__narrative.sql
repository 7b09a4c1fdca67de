with

source as (

    select * from {{ source('raw', 'narrative') }}

),

renamed as (

    select
        report_id,
        {{ clean_text('measure') }} as measure,
        cast(value as double) as value,
        raw_text,
        {{ clean_text('source') }} as source_location

    from source

)

select * from renamed
