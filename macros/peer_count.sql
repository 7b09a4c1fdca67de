{% macro peer_count(value, peers) -%}
    {#- How many peers have a value to rank (the `n` of a rank `x / n`). -#}
    count({{ value }}) over (partition by {{ peers | join(', ') }})
{%- endmacro %}
