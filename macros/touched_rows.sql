{% macro touched_rows(relation, key=none) -%}
    {#- In a run that rebuilds only what changed (a refresh: environment variable
        XXGK_DBT_TESTS=touched, set by ingest/warehouse/dbt.py, and no --full-refresh), the rows of
        `relation` that hold a touched value of `key` (macro touched_keys: report_id, peer_group,
        ...), as a subquery; otherwise `relation` itself. `key` defaults to the relation's model
        meta `touched_key`: a model declares it when its rows are keyed by it and only the
        touched values' rows can differ from the last build (incremental models, views over raw
        or over them). Read at run time from the graph, once per run (run_cache: schema.name ->
        touched_key, and model name -> relation of every model, without the database like every
        ref, to find the key's touched view); while parsing, `relation` unchanged. -#}
    {%- if not execute or flags.FULL_REFRESH or env_var('XXGK_DBT_TESTS', 'all') != 'touched' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set cache = run_cache() -%}
    {%- if 'touched_keys' not in cache -%}
        {%- set keys, relations = {}, {} -%}
        {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed') -%}
            {%- if node.config.meta.get('touched_key') -%}
                {%- do keys.setdefault(node.schema ~ '.' ~ node.alias, node.config.meta.get('touched_key')) -%}
            {%- endif -%}
            {%- do relations.setdefault(node.name, api.Relation.create(schema=node.schema, identifier=node.alias)) -%}
        {%- endfor -%}
        {%- do cache.update({'touched_keys': keys, 'relations': relations}) -%}
    {%- endif -%}
    {%- set key = key if key is not none else cache['touched_keys'].get(relation.schema ~ '.' ~ relation.identifier) -%}
    {%- if not key -%}{{ return(relation) }}{%- endif -%}
    {%- set spec = touched_keys(key) -%}
    {%- set touched = cache['relations'].get(spec.touched) -%}
    {%- if touched is none -%}{{ return(relation) }}{%- endif -%}
    {{ return("(select * from " ~ relation ~ " where " ~ touched_match(spec.columns, touched, spec.columns) ~ ")") }}
{%- endmacro %}
