{% macro rank_among_peers(value, peers) -%}
    {#- value: the value to rank, already NULL for a body left out and negated when lower is better. -#}
    (case when {{ value }} is not null and count({{ value }}) over (partition by {{ peers | join(', ') }}) > 1 then
        rank() over (partition by {{ peers | join(', ') }}, ({{ value }} is null) order by {{ value }} desc)
    end)
{%- endmacro %}
