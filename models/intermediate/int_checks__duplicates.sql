-- DUPLICATE_REPORT, one row per report version: several versions of one body-year in the folder
-- now (the same report in two formats is fine) must agree on every table cell both have read.
-- Each other active version is compared with the current one: lhs = cells whose values differ,
-- rhs = 0, fail when any does. The current version's lhs adds up those of the others, so both
-- sides of a conflict fail. Superseded and withdrawn versions are history: not_assessable.
-- A refresh rebuilds the touched versions only: they hold every version of each touched body.
{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
with

versions as (

    select report_id, body_key, year, can_be_current, is_current from {{ ref('int_reports__versions') }}
    {{ only_touched('report_id') }}

),

rules as (

    select rule_id, scope_kind from {{ ref('rules') }} where scope_kind = 'report'

),

pairs as (

    select others.report_id, current_versions.report_id as compared_report_id
    from versions as others
    inner join versions as current_versions
        on others.body_key = current_versions.body_key
        and others.year = current_versions.year
        and current_versions.is_current
    where others.can_be_current and not others.is_current

),

cell_values as (

    -- only the cells of versions in a pair: the join below then never meets the other reports'
    -- cells (matched on table, row and column alone, they would pair with every report's)
    select report_id, table_no, row_code, column_code, value, original_value, is_corrected
    from {{ ref('int_report_values') }}
    where table_no > 0
        and report_id in (select report_id from pairs union all select compared_report_id from pairs)

),

compared as (

    select
        pairs.report_id,
        pairs.compared_report_id,
        count(*) filter (where theirs.value <> ours.value) as differing,
        count(*) filter (where theirs.original_value <> ours.original_value) as differing_original,
        count(*) as compared_cells,
        bool_or(theirs.is_corrected or ours.is_corrected) as uses_corrections

    from pairs
    inner join cell_values as theirs on pairs.report_id = theirs.report_id
    inner join cell_values as ours
        on pairs.compared_report_id = ours.report_id
        and theirs.table_no = ours.table_no
        and theirs.row_code = ours.row_code
        and theirs.column_code = ours.column_code
    group by all

),

per_version as (

    select
        versions.report_id,
        case
            when versions.is_current then coalesce(sum(compared_with_me.differing), 0)
            when versions.can_be_current then coalesce(any_value(mine.differing), 0)
        end as lhs,
        case
            when versions.is_current then coalesce(sum(compared_with_me.differing_original), 0)
            when versions.can_be_current then coalesce(any_value(mine.differing_original), 0)
        end as lhs_original,
        coalesce(bool_or(mine.uses_corrections), bool_or(compared_with_me.uses_corrections), false)
            as uses_corrections,
        coalesce(any_value(mine.compared_cells), sum(compared_with_me.compared_cells), 0) as input_count,
        any_value(mine.compared_report_id) as compared_report_id

    from versions
    left join compared as mine on versions.report_id = mine.report_id
    left join compared as compared_with_me on versions.report_id = compared_with_me.compared_report_id
    group by versions.report_id, versions.is_current, versions.can_be_current

),

final as (

    select
        per_version.report_id,
        rules.rule_id,
        rules.scope_kind,
        'report' as scope,
        per_version.lhs,
        0.0 as rhs,
        per_version.lhs as difference,
        {{ check_status('per_version.lhs', '0.0') }} as status,
        per_version.lhs_original,
        0.0 as rhs_original,
        per_version.lhs_original as difference_original,
        {{ check_status('per_version.lhs_original', '0.0') }} as status_original,
        per_version.uses_corrections,
        cast(per_version.input_count as integer) as input_count,
        0 as missing_input_count,
        per_version.compared_report_id

    from per_version
    cross join rules

)

select * from final
