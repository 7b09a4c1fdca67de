-- Rule: every row of seeds/corrections.csv targets a value of a loaded report (by file or
-- report_id); a correction that matches nothing is a typo or a report no longer loaded.
{{ config(severity='warn', store_failures_as='view') }}
with corrections as (
    select * from {{ ref('corrections') }}
),
report_values as (
    select report_id, file, table_no, row_code, column_code from {{ ref('int_report_values') }}
)
select corrections.*
from corrections
where not exists (
    select 1 from report_values
    where (report_values.report_id = corrections.report_id
            or (corrections.report_id is null and report_values.file = corrections.file))
        and report_values.table_no = corrections.table_no
        and report_values.row_code = corrections.row_code
        and report_values.column_code = corrections.column_code
)
