"""The scenario: every parameter of the simulated firm as frozen, validated dataclasses
(fields, the firm's parts, the complaint desk's and the loyalty club's parts) and the presets
shipped as TOML files.
"""
from .fields import ScenarioError, param, check_fields, from_dict, to_dict, field_rows
from .parts import Channel, Channels, Segment, Products, Service, Pricing, Satisfaction, Dropout, WordOfMouth, Lifecycle, Scenario, CHANNELS, SEGMENTS
from .complaint_parts import ComplaintChannel, ComplaintChannels, ComplaintCategory, ComplaintCategories, Recovery, ComplaintDesk, COMPLAINT_CHANNELS, COMPLAINT_CATEGORIES, SEVERITIES, PRIORITY_RULES, SEVERITY_HANDLING, SEVERITY_FCR, SEVERITY_COMPENSATION, SEVERITY_SILENCE
from .loyalty_parts import Tier, Enrolment, LoyaltyCosts, LoyaltyEffects, Loyalty, TIERS, TIER_NAMES
from .presets import preset, presets, load_scenario, with_changes, scale_customers, resolve_scenario

__all__ = ['ScenarioError', 'param', 'check_fields', 'from_dict', 'to_dict', 'field_rows', 'Channel', 'Channels', 'Segment', 'Products', 'Service', 'Pricing', 'Satisfaction', 'Dropout', 'WordOfMouth', 'Lifecycle', 'Scenario', 'CHANNELS', 'SEGMENTS', 'ComplaintChannel', 'ComplaintChannels', 'ComplaintCategory', 'ComplaintCategories', 'Recovery', 'ComplaintDesk', 'COMPLAINT_CHANNELS', 'COMPLAINT_CATEGORIES', 'SEVERITIES', 'PRIORITY_RULES', 'SEVERITY_HANDLING', 'SEVERITY_FCR', 'SEVERITY_COMPENSATION', 'SEVERITY_SILENCE', 'Tier', 'Enrolment', 'LoyaltyCosts', 'LoyaltyEffects', 'Loyalty', 'TIERS', 'TIER_NAMES', 'preset', 'presets', 'load_scenario', 'with_changes', 'scale_customers', 'resolve_scenario']
