-- Rule: macros rank_among_peers (1 = highest, ties share) and percentile_among_peers (share of peers
-- strictly below) rank within each partition and leave NULL values unranked and uncounted.
with inputs as (
    select 'p' as grp, 0.9 as value, 1 as expected_rank, 1.0 as expected_percentile
    union all select 'p', 0.5, 2, 0.0
    union all select 'p', 0.5, 2, 0.0
    union all select 'p', null, null, null
    union all select 'q', 0.1, 1, 0.0
),
ranked as (
    select *,
        {{ rank_among_peers('value', ['grp']) }} as got_rank,
        {{ percentile_among_peers('value', ['grp']) }} as got_percentile
    from inputs
)
select * from ranked
where got_rank is distinct from expected_rank or got_percentile is distinct from expected_percentile
