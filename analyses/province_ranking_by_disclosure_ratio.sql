-- Provinces ranked by disclosure ratio (予以公开率) per year. pooled_disclosure_ratio weighs every
-- body by its decided cases (Σgranted / Σtotal_processed); mean_body_disclosure_ratio averages the
-- bodies that are not small samples. Rates whose input cells break an error-severity rule
-- (disclosure_ratio_inputs_ok false) are left out of both.
with

metrics as (

    select * from {{ ref('mart_body_year_metrics') }}

),

per_province as (

    select
        year,
        province_code,
        any_value(province_name) as province_name,
        count(*) as body_count,
        count(*) filter (where not small_sample and disclosure_ratio_inputs_ok) as assessed_body_count,
        sum(disclosure_ratio * total_processed) filter (where disclosure_ratio_inputs_ok)
            / nullif(sum(total_processed) filter (where disclosure_ratio is not null and disclosure_ratio_inputs_ok), 0)
            as pooled_disclosure_ratio,
        avg(disclosure_ratio) filter (where not small_sample and disclosure_ratio_inputs_ok) as mean_body_disclosure_ratio

    from metrics
    where province_code is not null
    group by year, province_code

)

select
    *,
    rank() over (partition by year order by pooled_disclosure_ratio desc nulls last) as province_rank
from per_province
order by year desc, province_rank, province_code
