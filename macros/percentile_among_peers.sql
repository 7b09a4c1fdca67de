{% macro percentile_among_peers(value, peers) -%}
    {#- value: as for rank_among_peers. Share of the other ranked peers strictly behind (1 = best). -#}
    (case when {{ value }} is not null and count({{ value }}) over (partition by {{ peers | join(', ') }}) > 1 then
        percent_rank() over (partition by {{ peers | join(', ') }}, ({{ value }} is null) order by {{ value }})
    end)
{%- endmacro %}
