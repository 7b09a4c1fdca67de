-- Every metric of every current report placed among its peers in each scope of
-- seeds/peer_scopes.csv: peers are the reports of the same year whose bodies share a peer group
-- (int_bodies__peer_groups: the same <scope>_code, region level and body type). A value is
-- comparable when it exists, its inputs are ok and, for a ratio, the report is not a small sample;
-- only comparable values are ranked, counted as peers and used in benchmarks. Ranked metrics get
-- peer_count, rank (1 = best, by higher_is_better) and percentile (share of the other peers ranked
-- behind); a body alone in its group gets no rank. Other metrics get none of the three.
-- A refresh rebuilds the peer groups of the touched versions whole (int_peer_groups__touched):
-- one report changes the ranks of every peer in its groups, before and after the change.
{{ config(materialized='incremental', pre_hook="{{ delete_touched('peer_group') }}") }}
-- depends_on: {{ ref('int_peer_groups__touched') }}
with

peer_groups as (

    select * from {{ ref('int_bodies__peer_groups') }}

),

metric_values as (

    select * from {{ ref('int_metrics__values') }}
    {%- if is_incremental() %}
    -- a refresh reads the body-years of the touched peer groups only: at 100,000 reports the
    -- select takes 0.09 s instead of 0.5 s, which joined every value to its groups first
    where (body_key, year) in (
        select peer_groups.body_key, touched.year
        from peer_groups
        inner join {{ ref('int_peer_groups__touched') }} as touched using (scope, scope_code, level, body_type)
    )
    {%- endif %}

),

scoped as (

    select
        metric_values.report_id, metric_values.metric_code, metric_values.year, metric_values.value,
        metric_values.ranked, peer_groups.scope, peer_groups.scope_code, peer_groups.level, peer_groups.body_type,
        metric_values.value is not null and metric_values.inputs_ok
            and (metric_values.kind = 'count' or metric_values.small_sample is false) as is_comparable,
        case when metric_values.higher_is_better is false then -metric_values.value else metric_values.value end
            as directed_value

    from metric_values
    inner join peer_groups on metric_values.body_key = peer_groups.body_key

),

placed as (

    -- only comparable values take a place among the peers; in a refresh, those of the touched
    -- groups (a body-year read may also be in an untouched group of another scope)
    select *, case when is_comparable then directed_value end as peer_value
    from scoped {{ only_touched('peer_group') }}

),

ranked as (

    -- the windows run over the ranked metrics only; the other metrics are compared in benchmarks
    {%- set peers = ['metric_code', 'year', 'scope', 'scope_code', 'level', 'body_type'] %}
    select
        report_id, metric_code, scope,
        {{ peer_count('peer_value', peers) }} as peer_count,
        {{ rank_among_peers('peer_value', peers) }} as peer_rank,
        {{ percentile_among_peers('peer_value', peers) }} as peer_percentile

    from placed
    where ranked

),

final as (

    select
        placed.report_id, placed.metric_code, placed.scope, placed.scope_code, placed.level, placed.body_type,
        placed.year, placed.value, placed.is_comparable,
        ranked.peer_count, ranked.peer_rank, ranked.peer_percentile

    from placed
    left join ranked
        on placed.report_id = ranked.report_id
        and placed.metric_code = ranked.metric_code
        and placed.scope = ranked.scope

)

select * from final
