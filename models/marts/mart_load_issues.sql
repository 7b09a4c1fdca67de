-- One place for what the loader could not do: every file that failed (nothing of it loaded),
-- every warning of an active or current report version, and every cell left unread (NULL), an
-- uncertain one with the candidate splits of its glued run. Per file and report; kinds and their
-- Chinese labels in seeds/load_issue_kinds.csv.
with

reports as (

    select * from {{ ref('int_reports__versions') }} where status = 'active' or is_current

),

failures as (

    select * from {{ ref('stg_raw__failures') }}

),

unread as (

    select report_id, table_no, row_code, column_code, raw_text, source_location, note
    from {{ ref('stg_raw__cells') }}
    where value is null

),

candidates as (

    select * from {{ ref('stg_raw__ambiguous_cells') }}

),

cell_labels as (

    select * from {{ ref('int_cell_labels') }}

),

issue_kinds as (

    select issue_kind, label from {{ ref('load_issue_kinds') }}

),

issues as (

    select 'failed_file' as issue_kind, file, cast(null as varchar) as report_id, error_message as message,
        cast(null as integer) as table_no, cast(null as varchar) as row_code, cast(null as varchar) as column_code,
        cast(null as varchar) as raw_text, cast(null as varchar) as source_location,
        cast(null as bigint[]) as candidate_values, cast(null as varchar) as candidate_splits
    from failures
    union all
    select 'warning', file, report_id, unnest(warnings), null, null, null, null, null, null, null
    from reports
    union all
    select case when candidates.report_id is null then 'unread_cell' else 'uncertain_cell' end, reports.file,
        unread.report_id, unread.note, unread.table_no, unread.row_code, unread.column_code, unread.raw_text,
        unread.source_location, candidates.candidate_values, candidates.candidate_splits
    from unread
    inner join reports on unread.report_id = reports.report_id
    left join candidates
        on unread.report_id = candidates.report_id
        and unread.table_no = candidates.table_no
        and unread.row_code = candidates.row_code
        and unread.column_code = candidates.column_code

),

final as (

    select
        issues.issue_kind,
        issue_kinds.label as issue_label,
        issues.file,
        issues.report_id,
        reports.body_name,
        reports.region_code,
        reports.year,
        reports.status,
        coalesce(reports.is_current, false) as is_current,
        issues.table_no,
        issues.row_code,
        issues.column_code,
        cell_labels.cell_label,
        issues.raw_text,
        issues.source_location as source,
        issues.message,
        issues.candidate_values,
        issues.candidate_splits

    from issues
    inner join issue_kinds on issues.issue_kind = issue_kinds.issue_kind
    left join reports on issues.report_id = reports.report_id
    left join cell_labels
        on reports.layout = cell_labels.layout
        and reports.table3_layout = cell_labels.table3_layout
        and issues.table_no = cell_labels.table_no
        and issues.row_code = cell_labels.row_code
        and issues.column_code = cell_labels.column_code

)

select * from final
