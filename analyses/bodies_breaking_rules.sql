-- Bodies whose current report breaks a statutory rule: one row per body-year × rule with the
-- number of broken scopes, the largest gap, and whether an analyst correction is involved.
with

checks as (

    select * from {{ ref('mart_check_results') }} where is_current

)

select
    body_name,
    region_code,
    year,
    rule_id,
    severity,
    count(*) filter (where status = 'fail') as failed_scopes,
    count(*) filter (where status = 'not_assessable') as unassessable_scopes,
    max(abs(difference)) filter (where status = 'fail') as largest_difference,
    string_agg(scope, ', ' order by scope) filter (where status = 'fail') as failed_scope_list,
    bool_or(uses_corrections) as uses_corrections,
    any_value(file) as file
from checks
group by body_name, region_code, year, rule_id, severity
having count(*) filter (where status = 'fail') > 0
order by severity, failed_scopes desc, body_name, year, rule_id
