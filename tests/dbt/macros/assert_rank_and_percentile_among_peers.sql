-- Rule: macros rank_among_peers (1 = highest, ties share), percentile_among_peers (share of the
-- other peers strictly below) and peer_count (how many were ranked) work within each partition;
-- a NULL value is neither ranked nor counted, and a value alone in its partition gets no rank.
with inputs as (
    select 'p' as grp, 0.9 as value, 1 as expected_rank, 1.0 as expected_percentile, 3 as expected_peers
    union all select 'p', 0.5, 2, 0.0, 3
    union all select 'p', 0.5, 2, 0.0, 3
    union all select 'p', null, null, null, 3
    union all select 'q', 0.1, null, null, 1
    union all select 'r', null, null, null, 0
),
ranked as (
    select *,
        {{ rank_among_peers('value', ['grp']) }} as got_rank,
        {{ percentile_among_peers('value', ['grp']) }} as got_percentile,
        {{ peer_count('value', ['grp']) }} as got_peers
    from inputs
)
select * from ranked
where got_rank is distinct from expected_rank or got_percentile is distinct from expected_percentile
    or got_peers is distinct from expected_peers
