{% macro touched_keys(key=none) -%}
    {#- The keys by which a refresh rebuilds, and tests, only what changed: per key (the name a
        model's meta `touched_key` and macros only_touched, delete_touched and touched_rows take),
        the view of its touched values and the columns that hold them, in that view and in every
        relation keyed by it. report_id: a report version (int_reports__touched); body_key: a
        body (int_bodies__touched); peer_group: a peer group and year (int_peer_groups__touched),
        whose rows a refresh rebuilds whole. With `key`, that key's entry (an unknown key is an
        error); without, every key. -#}
    {%- set keys = {
        'report_id': {'touched': 'int_reports__touched', 'columns': ['report_id']},
        'body_key': {'touched': 'int_bodies__touched', 'columns': ['body_key']},
        'peer_group': {'touched': 'int_peer_groups__touched', 'columns': ['scope', 'scope_code', 'level', 'body_type', 'year']},
    } -%}
    {%- if key is none -%}{{ return(keys) }}{%- endif -%}
    {%- if key not in keys -%}
        {{ exceptions.raise_compiler_error("unknown touched key '" ~ key ~ "': one of " ~ keys | join(', ') ~ " (macro touched_keys)") }}
    {%- endif -%}
    {{ return(keys[key]) }}
{%- endmacro %}
