with

source as (

    select * from {{ source('raw', 'cells') }}

),

renamed as (

    select
        report_id,
        cast(table_no as integer) as table_no,
        {{ clean_text('row_code') }} as row_code,
        {{ clean_text('column_code') }} as column_code,
        cast(value as double) as value,
        raw_text,
        {{ clean_text('source') }} as source_location,
        {{ clean_text('note') }} as note

    from source

)

select * from renamed
