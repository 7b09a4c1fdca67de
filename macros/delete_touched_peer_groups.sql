{% macro delete_touched_peer_groups() -%}
    {#- pre_hook of an incremental model with a row per peer group (scope, scope_code, level,
        body_type, year) and more: remove the rows of the groups a refresh rebuilds
        (only_touched_peer_groups); they are inserted again whole, or are gone. -#}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ only_touched_peer_groups() }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
