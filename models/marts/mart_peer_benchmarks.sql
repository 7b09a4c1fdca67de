-- Per peer group, year and metric: how many bodies were compared and the spread of their values
-- (min, P25, median, P75, max). A peer group is a scope of seeds/peer_scopes.csv (its code: a
-- province or a city) × region level × body type; only comparable values count (a value whose
-- inputs are ok and, for a ratio, not a small sample), as in the ranks. A refresh rebuilds the
-- peer groups of the touched versions (int_peer_groups__touched); a group left empty is deleted.
{{ config(materialized='incremental', pre_hook="{{ delete_touched('peer_group') }}") }}
-- depends_on: {{ ref('int_peer_groups__touched') }}
with

peers as (

    select * from {{ ref('int_metrics__peers') }} where is_comparable {{ only_touched('peer_group', 'and') }}

),

regions as (

    select region_code, region_name from {{ ref('dim_region') }}

),

peer_scopes as (

    select scope, label from {{ ref('peer_scopes') }}

),

region_levels as (

    select level, label from {{ ref('region_levels') }}

),

body_types as (

    select body_type, label from {{ ref('body_types') }}

),

metrics as (

    select metric_code, metric_name from {{ ref('metrics') }}

),

spread as (

    select
        scope, scope_code, level, body_type, year, metric_code,
        count(*) as peer_count,
        cast(min(value) as double) as min_value,
        quantile_cont(value, 0.25) as p25_value,
        quantile_cont(value, 0.5) as median_value,
        quantile_cont(value, 0.75) as p75_value,
        cast(max(value) as double) as max_value

    from peers
    group by scope, scope_code, level, body_type, year, metric_code

),

final as (

    select
        spread.scope, peer_scopes.label as scope_label, spread.scope_code, regions.region_name as scope_name,
        spread.level, region_levels.label as level_label, spread.body_type, body_types.label as body_type_label,
        spread.year, spread.metric_code, metrics.metric_name,
        spread.* exclude (scope, scope_code, level, body_type, year, metric_code)

    from spread
    left join peer_scopes on spread.scope = peer_scopes.scope
    left join regions on spread.scope_code = regions.region_code
    left join region_levels on spread.level = region_levels.level
    left join body_types on spread.body_type = body_types.body_type
    left join metrics on spread.metric_code = metrics.metric_code

)

select * from final
