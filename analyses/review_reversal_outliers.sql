-- Review reversal outliers (复议纠错率): bodies whose rate sits more than two standard deviations
-- from the mean of same-level, same-type bodies in their province that year, among bodies with at
-- least 5 administrative reviews, sound inputs and at least 3 such peers.
with

metrics as (

    select * from {{ ref('mart_body_year_metrics') }}

),

decided as (

    select * from metrics where review_reversal_rate is not null and review_reversal_rate_inputs_ok

),

peers as (

    select
        body_name, region_code, province_name, level, body_type, year, review_total, review_reversal_rate,
        avg(review_reversal_rate) over peer_group as peer_mean,
        stddev_samp(review_reversal_rate) over peer_group as peer_stddev,
        count(*) over peer_group as peer_count

    from decided
    where review_total >= 5
    window peer_group as (partition by province_code, level, body_type, year)

)

select
    *,
    (review_reversal_rate - peer_mean) / nullif(peer_stddev, 0) as z_score
from peers
where peer_count >= 3 and abs(review_reversal_rate - peer_mean) > 2 * peer_stddev
order by abs((review_reversal_rate - peer_mean) / nullif(peer_stddev, 0)) desc, body_name, year
