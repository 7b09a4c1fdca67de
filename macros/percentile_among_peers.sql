{% macro percentile_among_peers(value, peers) -%}
    (case when {{ value }} is not null then
        percent_rank() over (partition by {{ peers | join(', ') }}, ({{ value }} is null) order by {{ value }})
    end)
{%- endmacro %}
