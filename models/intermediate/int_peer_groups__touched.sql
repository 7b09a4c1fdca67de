-- The peer groups (int_bodies__peer_groups × year) an incremental refresh rebuilds: every group
-- that holds a touched report version (int_reports__touched) before or after the change. A
-- version's group before the change is that of its raw.touched row of the last build (a report
-- withdrawn, or moved to another body or year, leaves its group); after it, that of its body and
-- year now. Every version of a touched body is touched, so the groups of all its years are here.
with

changed as (

    -- raw.touched: both sides of every changed version (its body and year before and after)
    select {{ body_key('body_name', 'region_code') }} as body_key, year
    from {{ source('raw', 'touched') }}

),

touched as (

    select report_id from {{ ref('int_reports__touched') }}

),

versions as (

    select versions.body_key, versions.year
    from {{ ref('int_reports__versions') }} as versions
    inner join touched on versions.report_id = touched.report_id

),

peer_groups as (

    select * from {{ ref('int_bodies__peer_groups') }}

),

final as (

    select distinct peer_groups.scope, peer_groups.scope_code, peer_groups.level, peer_groups.body_type, both_sides.year
    from (select * from changed union select * from versions) as both_sides
    inner join peer_groups on both_sides.body_key = peer_groups.body_key

)

select * from final
