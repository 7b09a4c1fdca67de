-- The publishing bodies an incremental refresh rebuilds (int_bodies): the body of every version of
-- raw.touched, before and after the change (a version that moved to another body leaves the first).
-- A view over raw, like int_reports__touched, whose versions include every version of these bodies.
{{ config(materialized='view') }}
with

touched as (

    select {{ body_key('body_name', 'region_code') }} as body_key from {{ source('raw', 'touched') }}

),

final as (

    select distinct body_key from touched

)

select * from final
