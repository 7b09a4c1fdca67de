with

source as (

    select * from {{ source('raw', 'reports') }}

),

renamed as (

    select
        report_id,
        {{ clean_text('file') }} as file,
        lower({{ clean_text('sha256') }}) as sha256,
        lower({{ clean_text('format') }}) as format,
        {{ clean_text('layout') }} as layout,
        coalesce({{ clean_text('table3_layout') }}, {{ clean_text('layout') }}) as table3_layout,
        {{ clean_text('title') }} as title,
        {{ clean_text('body_name') }} as body_name,
        cast(year as integer) as year,
        {{ clean_text('region_code') }} as region_code,
        {{ clean_text('source_url') }} as source_url,
        {{ clean_text('parser_version') }} as parser_version,
        cast(loaded_at as timestamp) as loaded_at,
        lower({{ clean_text('status') }}) as status,
        coalesce(warnings, cast([] as varchar[])) as warnings,
        len(coalesce(warnings, cast([] as varchar[]))) as warning_count,
        {{ clean_text('region_method') }} as region_match_method,
        {{ clean_text('region_matched') }} as region_matched_text,
        coalesce(copies, cast([] as varchar[])) as copies

    from source

)

select * from renamed
