with

source as (

    select * from {{ source('raw', 'refresh_runs') }}

),

renamed as (

    select
        {{ clean_text('run_id') }} as run_id,
        lower({{ clean_text('mode') }}) as mode,
        cast(started_at as timestamp) as started_at,
        cast(ended_at as timestamp) as ended_at,
        cast(files_new as integer) as files_new,
        cast(files_changed as integer) as files_changed,
        cast(files_unchanged as integer) as files_unchanged,
        cast(files_failed as integer) as files_failed,
        cast(files_withdrawn as integer) as files_withdrawn,
        lower({{ clean_text('outcome') }}) as outcome,
        message

    from source

)

select * from renamed
