using Mta.Delivery.Agents;

namespace Mta.Delivery.Qmgr;

/// <summary>A master.cf delivery service the queue manager can hand jobs to: its name (what routes say), its agent and knobs.</summary>
public sealed record Transport(string Name, IDeliveryAgent Agent, TransportSettings Settings);
