-- Whether each metric of each current report stands on sound cells: inputs_ok is true when every
-- input cell (seeds/formula_terms.csv) was read and none is an input of a failing check of an
-- error-severity rule (int_checks__failed_inputs). A metric whose inputs are not ok is kept and
-- flagged, and left out of ranks and benchmarks. A refresh rebuilds the touched versions only: a
-- failing check of another year's report that reads this one's cells is of the same body, whose
-- versions are all touched with it.
{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
with

current_versions as (

    select report_id from {{ ref('int_reports__versions') }} where is_current {{ only_touched('report_id', 'and') }}

),

metrics as (

    select metric_code from {{ ref('metrics') }}

),

metric_scopes as (

    -- the layout each metric of a report is read in (its Table 3 layout for a Table 3 metric)
    select scopes.report_id, scopes.formula_id as metric_code, scopes.layout
    from {{ ref('int_formula__scopes') }} as scopes
    inner join current_versions on scopes.report_id = current_versions.report_id
    where scopes.formula_id in (select metric_code from metrics) {{ only_touched('report_id', 'and', on='scopes.report_id') }}

),

metric_inputs as (

    select layout, formula_id as metric_code, table_no, row_code, column_code
    from {{ ref('int_formula__inputs') }}
    where formula_id in (select metric_code from metrics)

),

breached_cells as (

    select distinct input_report_id as report_id, table_no, row_code, column_code
    from {{ ref('int_checks__failed_inputs') }}
    where severity = 'error' {{ only_touched('report_id', 'and', on='input_report_id') }}

),

missing_inputs as (

    select report_id, formula_id as metric_code, sum(missing_input_count) as missing_input_count
    from {{ ref('int_formula__sides') }}
    where formula_id in (select metric_code from metrics) {{ only_touched('report_id', 'and') }}
    group by all

),

breaches as (

    select metric_scopes.report_id, metric_scopes.metric_code,
        count(breached_cells.report_id) as breached_input_count
    from metric_scopes
    inner join metric_inputs
        on metric_scopes.layout = metric_inputs.layout
        and metric_scopes.metric_code = metric_inputs.metric_code
    left join breached_cells
        on metric_scopes.report_id = breached_cells.report_id
        and metric_inputs.table_no = breached_cells.table_no
        and metric_inputs.row_code = breached_cells.row_code
        and metric_inputs.column_code = breached_cells.column_code
    group by all

),

final as (

    select
        breaches.report_id,
        breaches.metric_code,
        cast(breaches.breached_input_count as integer) as breached_input_count,
        cast(coalesce(missing_inputs.missing_input_count, 0) as integer) as missing_input_count,
        breaches.breached_input_count = 0 and coalesce(missing_inputs.missing_input_count, 0) = 0 as inputs_ok

    from breaches
    left join missing_inputs
        on breaches.report_id = missing_inputs.report_id
        and breaches.metric_code = missing_inputs.metric_code

)

select * from final {{ order_by_report() }}
