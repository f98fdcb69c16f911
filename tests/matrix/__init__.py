"""The tenant-isolation matrix: routes from the URL resolver and the OpenAPI document, a world
of two districts and several companies, and the rules every (route, user) answer must follow."""
