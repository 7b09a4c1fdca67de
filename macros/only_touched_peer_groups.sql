{% macro only_touched_peer_groups(keyword='where') -%}
    {#- In an incremental run, `<keyword> (scope, scope_code, level, body_type, year) in (the peer
        groups of int_peer_groups__touched)`: the rows of the peer groups a refresh rebuilds, in a
        relation with those columns; in a full build nothing. The model must declare
        `-- depends_on: {{ ref('int_peer_groups__touched') }}`. -#}
    {%- if is_incremental() -%}
        {%- set group = 'scope, scope_code, level, body_type, year' -%}
        {{ keyword }} ({{ group }}) in (select {{ group }} from {{ ref('int_peer_groups__touched') }})
    {%- endif -%}
{%- endmacro %}
