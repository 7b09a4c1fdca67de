with

source as (

    select * from {{ source('raw', 'failures') }}

),

renamed as (

    select
        {{ clean_text('file') }} as file,
        lower({{ clean_text('sha256') }}) as sha256,
        error as error_message,
        cast(loaded_at as timestamp) as loaded_at

    from source

)

select * from renamed
