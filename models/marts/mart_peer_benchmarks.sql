-- Per peer group, year and metric: how many bodies were compared and the spread of their values
-- (min, P25, median, P75, max). A peer group is a scope of seeds/peer_scopes.csv (its code: a
-- province or a city) × region level × body type; only comparable values count (a value whose
-- inputs are ok and, for a ratio, not a small sample), as in the ranks.
with

peers as (

    select * from {{ ref('int_metrics__peers') }} where is_comparable

),

regions as (

    select region_code, region_name from {{ ref('dim_region') }}

),

final as (

    select
        peers.scope,
        any_value(peer_scopes.label) as scope_label,
        peers.scope_code,
        any_value(regions.region_name) as scope_name,
        peers.level,
        any_value(region_levels.label) as level_label,
        peers.body_type,
        any_value(body_types.label) as body_type_label,
        peers.year,
        peers.metric_code,
        any_value(metrics.metric_name) as metric_name,
        count(*) as peer_count,
        cast(min(peers.value) as double) as min_value,
        quantile_cont(peers.value, 0.25) as p25_value,
        quantile_cont(peers.value, 0.5) as median_value,
        quantile_cont(peers.value, 0.75) as p75_value,
        cast(max(peers.value) as double) as max_value

    from peers
    left join regions on peers.scope_code = regions.region_code
    left join {{ ref('peer_scopes') }} as peer_scopes on peers.scope = peer_scopes.scope
    left join {{ ref('region_levels') }} as region_levels on peers.level = region_levels.level
    left join {{ ref('body_types') }} as body_types on peers.body_type = body_types.body_type
    left join {{ ref('metrics') }} as metrics on peers.metric_code = metrics.metric_code
    group by peers.scope, peers.scope_code, peers.level, peers.body_type, peers.year, peers.metric_code

)

select * from final
