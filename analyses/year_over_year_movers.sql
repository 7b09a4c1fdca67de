-- Bodies whose disclosure ratio moved most against their previous available year
-- (yoy_compared_year), leaving out small samples in either year (a swing of 1 application in 5 is
-- noise) and rates whose inputs break a rule in either year.
with

metrics as (

    select * from {{ ref('mart_body_year_metrics') }}

),

with_previous as (

    select
        metrics.*,
        previous.small_sample as previous_small_sample,
        previous.disclosure_ratio as previous_disclosure_ratio,
        previous.disclosure_ratio_inputs_ok as previous_inputs_ok

    from metrics
    inner join metrics as previous
        on metrics.body_key = previous.body_key
        and metrics.yoy_compared_year = previous.year

)

select
    body_name,
    region_code,
    province_name,
    year,
    yoy_compared_year,
    previous_disclosure_ratio,
    disclosure_ratio,
    disclosure_ratio_yoy,
    total_processed,
    total_processed_yoy
from with_previous
where not small_sample and not previous_small_sample and disclosure_ratio_inputs_ok and previous_inputs_ok
    and disclosure_ratio_yoy is not null
order by abs(disclosure_ratio_yoy) desc, body_name, year
limit 50
