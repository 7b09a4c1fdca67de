-- One row per body-year (its current report) with every metric of seeds/metrics.csv as a column
-- named by its code (counts BIGINT, ratios DOUBLE), and beside it: <code>_yoy and <code>_yoy_pct
-- against the body's previous available year (yoy_compared_year), <code>_inputs_ok, and for ranked
-- metrics per scope of seeds/peer_scopes.csv <code>_rank_in_<scope>, <code>_percentile_in_<scope>
-- and <code>_peers_in_<scope> (int_metrics__peers). Column docs: generated into _marts__models.yml.
-- A row depends on its report, its body and its ranks only: a refresh rebuilds the touched versions
-- and every report of a peer group they are in (int_peer_groups__touched), whose ranks changed.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='report_id',
    pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }} {{ ref('int_peer_groups__touched') }}
{%- set rebuilt = 'where report_id in (select report_id from rebuilt)' if is_incremental() else '' %}
{%- set metrics = column_values(ref('metrics'), ['metric_code', 'kind', 'ranked'], 'position') %}
{%- set scopes = column_values(ref('peer_scopes'), ['scope'], 'position') %}

with

rebuilt as (

    select report_id from {{ ref('fct_report') }} {{ only_touched('report_id') }}
    union
    select report_id from {{ ref('int_metrics__peers') }} {{ only_touched('peer_group') }}

),

reports as (

    select * from {{ ref('fct_report') }} {{ rebuilt }}

),

bodies as (

    select * from {{ ref('dim_body') }}

),

metric_values as (

    select * from {{ ref('int_metrics__values') }} {{ rebuilt }}

),

peers as (

    select * from {{ ref('int_metrics__peers') }} {{ rebuilt }}

),

pivoted_values as (

    select
        report_id,
        any_value(previous_year) as yoy_compared_year,
        {%- for metric in metrics %}
        {%- set only = "filter (where metric_code = '" ~ metric.metric_code ~ "')" %}
        {%- if metric.kind == 'count' %}
        {{ whole_count('any_value(value) ' ~ only) }} as {{ metric.metric_code }},
        {{ whole_count('any_value(value_yoy) ' ~ only) }} as {{ metric.metric_code }}_yoy,
        {%- else %}
        any_value(value) {{ only }} as {{ metric.metric_code }},
        any_value(value_yoy) {{ only }} as {{ metric.metric_code }}_yoy,
        {%- endif %}
        any_value(value_yoy_pct) {{ only }} as {{ metric.metric_code }}_yoy_pct,
        any_value(inputs_ok) {{ only }} as {{ metric.metric_code }}_inputs_ok,
        {%- endfor %}
        any_value(small_sample) as small_sample,

    from metric_values
    group by report_id

),

pivoted_peers as (

    select
        report_id,
        {%- for metric in metrics if metric.ranked %}
        {%- for scope in scopes %}
        {%- set only = "filter (where metric_code = '" ~ metric.metric_code ~ "' and scope = '" ~ scope.scope ~ "')" %}
        any_value(peer_rank) {{ only }} as {{ metric.metric_code }}_rank_in_{{ scope.scope }},
        any_value(peer_percentile) {{ only }} as {{ metric.metric_code }}_percentile_in_{{ scope.scope }},
        any_value(peer_count) {{ only }} as {{ metric.metric_code }}_peers_in_{{ scope.scope }},
        {%- endfor %}
        {%- endfor %}

    from peers
    group by report_id

),

final as (

    select
        reports.body_key, reports.body_name, reports.year, reports.report_id, reports.region_code,
        bodies.region_name, bodies.level, bodies.level_label, bodies.body_type, bodies.body_type_label,
        bodies.city_code, bodies.city_name, bodies.province_code, bodies.province_name, reports.layout,
        pivoted_values.yoy_compared_year, pivoted_values.small_sample,
        {%- for metric in metrics %}
        {%- set code = metric.metric_code %}
        pivoted_values.{{ code }}, pivoted_values.{{ code }}_yoy, pivoted_values.{{ code }}_yoy_pct,
        pivoted_values.{{ code }}_inputs_ok,
        {%- for scope in scopes if metric.ranked %}
        pivoted_peers.{{ code }}_rank_in_{{ scope.scope }}, pivoted_peers.{{ code }}_peers_in_{{ scope.scope }},
        pivoted_peers.{{ code }}_percentile_in_{{ scope.scope }},
        {%- endfor %}
        {%- endfor %}

    from reports
    left join bodies on reports.body_key = bodies.body_key
    left join pivoted_values on reports.report_id = pivoted_values.report_id
    left join pivoted_peers on reports.report_id = pivoted_peers.report_id

)

select * from final
