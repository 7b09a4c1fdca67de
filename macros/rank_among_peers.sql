{% macro rank_among_peers(value, peers) -%}
    (case when {{ value }} is not null then
        rank() over (partition by {{ peers | join(', ') }}, ({{ value }} is null) order by {{ value }} desc)
    end)
{%- endmacro %}
