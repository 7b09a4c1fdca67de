-- The peer groups of every body: one row per body and scope of seeds/peer_scopes.csv in which it
-- has a code. A peer group is scope × scope_code (its province_code, city_code) × region level ×
-- body type (int_bodies), and a year: int_metrics__peers ranks within it, mart_peer_benchmarks
-- describes it, and a refresh rebuilds the groups of the touched versions (int_peer_groups__touched).
-- A body's groups follow from its key alone (name and region, read through seeds that a refresh
-- never changes), so a refresh only adds the bodies it has not seen, and keeps those that left
-- int_bodies: a refresh must still find the group that a withdrawn or moved report left.
{{ config(materialized='incremental') }}
with

bodies as (

    select body_key, level, body_type, columns('_code$') from {{ ref('int_bodies') }}
    {% if is_incremental() %}where body_key not in (select body_key from {{ this }}){% endif %}

),

peer_scopes as (

    select scope from {{ ref('peer_scopes') }}

),

body_codes as (

    -- one row per body and region code it has (region_code, city_code, province_code; no NULLs)
    unpivot bodies on columns('_code$') into name code_column value scope_code

),

final as (

    select body_codes.body_key, peer_scopes.scope, body_codes.scope_code, body_codes.level, body_codes.body_type
    from body_codes
    inner join peer_scopes on body_codes.code_column = peer_scopes.scope || '_code'

)

select * from final
